namespace Ombaro.Tests.Infrastructure;

public sealed class RedisKeysTests
{
    static readonly Guid Id = Guid.Parse("11111111-2222-3333-4444-555555555555");
    static readonly Guid T = Guid.Parse("99999999-8888-7777-6666-555555555555");

    public static TheoryData<string, string> Keys => new()
    {
        { RedisKeys.Otp("+919876543210").ToString(), "ombaro:otp:{+919876543210}" },
        { RedisKeys.OtpCooldown("+919876543210").ToString(), "ombaro:otp:{+919876543210}:cooldown" },
        { RedisKeys.OtpHourly("+919876543210").ToString(), "ombaro:otp:{+919876543210}:hourly" },
        { RedisKeys.OtpFailures("+919876543210", "2001:db8::/64").ToString(), "ombaro:otp:{+919876543210}:failures:2001:db8::/64" },
        { RedisKeys.SmsBudget.ToString(), "ombaro:sms:budget" },
        { RedisKeys.Session(Id, "abc").ToString(), $"ombaro:session:{{{Id}}}:abc" },
        { RedisKeys.User(Id).ToString(), $"ombaro:user:{Id}" },
        { RedisKeys.UserSessions(Id).ToString(), $"ombaro:user:{{{Id}}}:sessions" },
        { RedisKeys.Profile("customer", Id).ToString(), $"ombaro:profile:customer:{Id}" },
        { RedisKeys.Profile("therapist", Id).ToString(), $"ombaro:profile:therapist:{Id}" },
        { RedisKeys.Profile("vendor", Id).ToString(), $"ombaro:profile:vendor:{Id}" },
        { RedisKeys.VendorDetail(Id).ToString(), $"ombaro:vendor:detail:{Id}" },
        { RedisKeys.VendorSearch("12.971", "77.594", "massage", "5", 7).ToString(), "ombaro:vendors:12.971:77.594:massage:5:g7" },
        { RedisKeys.GeoVendorsBuilt.ToString(), "ombaro:{geo:vendors}:built" },
        { RedisKeys.GeoVendors("all").ToString(), "ombaro:{geo:vendors}:all" },
        { RedisKeys.GeoTherapists.ToString(), "ombaro:{geo:therapists}" },
        { RedisKeys.GeoTherapistsSeen.ToString(), "ombaro:{geo:therapists}:seen" },
        { RedisKeys.TherapistLocation(Id).ToString(), $"ombaro:{{geo:therapists}}:location:{Id}" },
        { RedisKeys.Booking(Id).ToString(), $"ombaro:booking:{Id}" },
        { RedisKeys.BookingLock(Id, new DateOnly(2026, 11, 28), T, new TimeOnly(10, 30)).ToString(), $"ombaro:booking:lock:{{{Id}:2026-11-28}}:{T}:10:30" },
        { RedisKeys.BookingCustomerHolds(Id).ToString(), $"ombaro:booking:holds:{{{Id}}}" },
        { RedisKeys.Attendance(Id, new DateOnly(2026, 1, 5)).ToString(), $"ombaro:attendance:{Id}:2026-01-05" },
        { RedisKeys.RateLimit("203.0.113.7", "otp-request").ToString(), "ombaro:ratelimit:{203.0.113.7}:otp-request:tat" },
        { RedisKeys.UserRateLimit(Id, "user").ToString(), $"ombaro:ratelimit:{{{Id}}}:user:tat" },
        { RedisKeys.Queue("dispatch").ToString(), "ombaro:queue:dispatch" },
        { RedisKeys.QueueProcessing("dispatch").ToString(), "ombaro:queue:dispatch:processing" },
        { RedisKeys.QueueClaims("{dispatch}").ToString(), "ombaro:queue:{dispatch}:claims" },
        { RedisKeys.BookingHold(Id, new DateOnly(2026, 11, 28), "h1").ToString(), $"ombaro:booking:hold:{{{Id}:2026-11-28}}:h1" },
        { RedisKeys.Cache("vendor-dashboard", Id, "2026-11-27").ToString(), $"ombaro:cache:vendor-dashboard:{Id}:2026-11-27" },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void keys_are_exactly_the_seed_names(string actual, string expected) => Assert.Equal(expected, actual);

    [Fact]
    public void slot_locks_of_one_vendor_day_share_a_cluster_slot()
    {
        var day = new DateOnly(2026, 11, 28);
        var slots = new[] { new TimeOnly(10, 0), new TimeOnly(10, 30), new TimeOnly(11, 0) }
            .SelectMany(t => new[] { T, Guid.NewGuid() }.Select(therapist => ClusterSlot(RedisKeys.BookingLock(Id, day, therapist, t)))).Distinct();
        Assert.Single(slots);
        Assert.Equal(ClusterSlot(RedisKeys.BookingLock(Id, day, T, new TimeOnly(10, 0))), ClusterSlot(RedisKeys.BookingHold(Id, day, "h1")));
        Assert.Single(new[] { RedisKeys.Queue("{dispatch}"), RedisKeys.QueueProcessing("{dispatch}"), RedisKeys.QueueClaims("{dispatch}") }
            .Select(ClusterSlot).Distinct());
        Assert.Equal(ClusterSlot(RedisKeys.GeoTherapists), ClusterSlot(RedisKeys.GeoTherapistsSeen));
        Assert.Single(new[] { RedisKeys.Session(Id, "abc"), RedisKeys.UserGeneration(Id), RedisKeys.UserRateLimit(Id, "user"), RedisKeys.UserRateLimit(Id, "search") }
            .Select(ClusterSlot).Distinct());   // the session script checks the user's rate limits
        const string mobile = "+919876543210";
        Assert.Single(new[] { RedisKeys.Otp(mobile), RedisKeys.OtpCooldown(mobile), RedisKeys.OtpHourly(mobile), RedisKeys.OtpFailures(mobile, "203.0.113.7") }
            .Select(ClusterSlot).Distinct());
        Assert.NotEqual(ClusterSlot(RedisKeys.BookingLock(Id, day, T, new TimeOnly(10, 0))),
            ClusterSlot(RedisKeys.BookingLock(Id, day.AddDays(1), T, new TimeOnly(10, 0))));
    }

    /// <summary>Redis Cluster's key slot: CRC16 (XMODEM) of the hash tag, or of the whole key, mod 16384.</summary>
    static int ClusterSlot(RedisKey key)
    {
        var s = key.ToString();
        var open = s.IndexOf('{');
        var close = open < 0 ? -1 : s.IndexOf('}', open + 1);
        if (close > open + 1) s = s[(open + 1)..close];
        ushort crc = 0;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(s))
        {
            crc ^= (ushort)(b << 8);
            for (var i = 0; i < 8; i++) crc = (ushort)((crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1);
        }
        return crc % 16384;
    }
}
