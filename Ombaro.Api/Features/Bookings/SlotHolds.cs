using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Ombaro.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// Slot holds on the state Redis: a hold takes the lock of every grid slot its service spans
/// (<c>ombaro:booking:lock:{vendor:date}:HH:mm</c>, value = the hold id) and writes its record
/// (<c>ombaro:booking:hold:{vendor:date}:{holdId}</c>) in one script, all or nothing, with one TTL.
/// The token the customer gets encodes the vendor and date (to find the keys) and a random secret whose
/// digest is the hold id, so Redis never holds the token itself. A hold is only fast, fair advice: the
/// PostgreSQL exclusion constraint decides whether a booking may exist.
/// </summary>
public sealed class SlotHolds(RedisConnections redis, IOptions<BookingOptions> options, TimeProvider clock)
{
    static readonly RedisScript Acquire = RedisScript.Named("hold_acquire");
    static readonly RedisScript Release = RedisScript.Named("hold_release");
    static readonly RedisScript Claim = RedisScript.Named("hold_claim");
    IDatabase Db => redis.StateDb;

    /// <summary>A live hold, as its record stores it.</summary>
    public sealed record Hold(string Id, Guid CustomerId, Guid VendorId, Guid ServiceId, DateOnly Date, IReadOnlyList<TimeOnly> Slots,
        Guid? TherapistId, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

    public abstract record PlaceResult;
    public sealed record Placed(string Token, DateTimeOffset ExpiresAt) : PlaceResult;
    public sealed record Taken(TimeOnly Slot) : PlaceResult;

    /// <summary>Holds every slot of <paramref name="slot"/> for the customer, with the therapist proposed for it (if any).</summary>
    public async Task<PlaceResult> PlaceAsync(Guid customerId, ServiceDay day, ServiceSlot slot, Guid? therapistId)
    {
        var secret = RandomNumberGenerator.GetBytes(16);
        var id = HoldId(secret);
        var ttl = options.Value.HoldTtl;
        RedisKey[] keys = [RedisKeys.BookingHold(day.VendorId, day.Date, id), .. slot.Spans.Select(t => RedisKeys.BookingLock(day.VendorId, day.Date, t))];
        RedisValue[] args =
        [
            id, (long)ttl.TotalMilliseconds,
            "customer", customerId.ToString(), "service", day.ServiceId.ToString(),
            "slots", string.Join(',', slot.Spans.Select(Time)), "therapist", therapistId?.ToString() ?? "",
            "starts_at", slot.StartsAt.ToUnixTimeMilliseconds(), "ends_at", slot.EndsAt.ToUnixTimeMilliseconds(),
        ];
        var taken = (int)await Acquire.EvaluateAsync(Db, keys, args);
        return taken == 0
            ? new Placed(Token(day.VendorId, day.Date, secret), clock.GetUtcNow() + ttl)
            : new Taken(slot.Spans[taken - 1]);
    }

    /// <summary>The live hold a token names, whoever owns it; null when the token is malformed or the hold is gone.</summary>
    public async Task<Hold?> FindAsync(string token)
    {
        if (!TryParse(token, out var vendorId, out var date, out var id)) return null;
        var fields = (await Db.HashGetAllAsync(RedisKeys.BookingHold(vendorId, date, id))).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        if (fields.Count == 0) return null;
        return new Hold(id, Guid.Parse(fields["customer"]), vendorId, Guid.Parse(fields["service"]), date,
            fields["slots"].Split(',').Select(t => TimeOnly.ParseExact(t, "HH:mm", CultureInfo.InvariantCulture)).ToList(),
            Guid.TryParse(fields["therapist"], out var t) ? t : null,
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(fields["starts_at"], CultureInfo.InvariantCulture)),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(fields["ends_at"], CultureInfo.InvariantCulture)));
    }

    /// <summary>Releases the customer's hold (compare-and-delete); false when it is not theirs or already gone.</summary>
    public async Task<bool> ReleaseAsync(string token, Guid customerId) =>
        await FindAsync(token) is { } hold && await ReleaseAsync(hold, customerId);

    public async Task<bool> ReleaseAsync(Hold hold, Guid customerId)
    {
        RedisKey[] keys = [RedisKeys.BookingHold(hold.VendorId, hold.Date, hold.Id), .. hold.Slots.Select(t => RedisKeys.BookingLock(hold.VendorId, hold.Date, t))];
        return (int)await Release.EvaluateAsync(Db, keys, [hold.Id, customerId.ToString()]) == 1;
    }

    public enum ClaimResult { Gone, Claimed, ClaimedByAnotherRequest }

    /// <summary>Reserves the customer's hold for one booking request (its Idempotency-Key), atomically.</summary>
    public async Task<ClaimResult> ClaimAsync(Hold hold, Guid customerId, string idempotencyKey) =>
        (int)await Claim.EvaluateAsync(Db, [RedisKeys.BookingHold(hold.VendorId, hold.Date, hold.Id)], [customerId.ToString(), idempotencyKey]) switch
        {
            1 => ClaimResult.Claimed,
            -1 => ClaimResult.ClaimedByAnotherRequest,
            _ => ClaimResult.Gone,
        };

    /// <summary>Which of the given slots of a vendor-day are held now (one MGET: the keys share a hash tag).</summary>
    public async Task<IReadOnlySet<TimeOnly>> HeldAsync(Guid vendorId, DateOnly date, IReadOnlyCollection<TimeOnly> slots)
    {
        if (slots.Count == 0) return new HashSet<TimeOnly>();
        var list = slots.ToList();
        var values = await Db.StringGetAsync(list.Select(t => RedisKeys.BookingLock(vendorId, date, t)).ToArray());
        return list.Where((_, i) => !values[i].IsNull).ToHashSet();
    }

    static string Time(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    static string HoldId(ReadOnlySpan<byte> secret) => Base64Url(SHA256.HashData(secret))[..22];

    // vendor id (16 bytes) | day number (4) | secret (16), base64url: 48 characters.
    static string Token(Guid vendorId, DateOnly date, byte[] secret)
    {
        var bytes = new byte[36];
        vendorId.TryWriteBytes(bytes);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), date.DayNumber);
        secret.CopyTo(bytes, 20);
        return Base64Url(bytes);
    }

    static bool TryParse(string token, out Guid vendorId, out DateOnly date, out string holdId)
    {
        (vendorId, date, holdId) = (Guid.Empty, default, "");
        if (token.Length != 48) return false;
        var bytes = new byte[36];
        if (!Convert.TryFromBase64String(token.Replace('-', '+').Replace('_', '/'), bytes, out var n) || n != 36) return false;
        var day = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
        if (day < DateOnly.MinValue.DayNumber || day > DateOnly.MaxValue.DayNumber) return false;
        (vendorId, date, holdId) = (new Guid(bytes.AsSpan(0, 16)), DateOnly.FromDayNumber(day), HoldId(bytes.AsSpan(20)));
        return true;
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
