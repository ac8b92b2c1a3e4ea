namespace Ombaro.Tests.Support;

/// <summary>
/// The capacity invariant of a vendor, checked in SQL written for the test (not the handlers' queries): no live unfinished
/// booking without a therapist, none with a therapist off the roster, no therapist with two overlapping live bookings, and
/// at no instant more live bookings than therapists.
/// </summary>
public static class CapacityInvariant
{
    public sealed record Report(long Unassigned, long OffRoster, long TherapistOverlaps, long MaxConcurrent, long Therapists, long Live);

    public static async Task<Report> CheckAsync(this BookingWorld world)
    {
        await using var conn = await world.Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var report = await conn.QuerySingleAsync<Report>("""
            WITH live AS (SELECT * FROM bookings WHERE vendor_id = @VendorId AND status NOT IN ('cancelled', 'no_show'))
            SELECT
              (SELECT count(*) FROM live WHERE therapist_id IS NULL AND status <> 'completed') AS Unassigned,
              (SELECT count(*) FROM live l WHERE l.therapist_id IS NOT NULL AND NOT EXISTS (
                  SELECT 1 FROM vendor_therapists vt WHERE vt.vendor_id = @VendorId AND vt.therapist_id = l.therapist_id)) AS OffRoster,
              (SELECT count(*) FROM live a JOIN live b ON a.id < b.id AND a.therapist_id = b.therapist_id
                  AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at) AS TherapistOverlaps,
              (SELECT coalesce(max((SELECT count(*) FROM live o WHERE o.starts_at <= p.starts_at AND p.starts_at < o.ends_at)), 0)
                  FROM live p) AS MaxConcurrent,
              (SELECT count(*) FROM vendor_therapists WHERE vendor_id = @VendorId AND active) AS Therapists,
              (SELECT count(*) FROM live) AS Live
            """, new { world.VendorId });
        return report;
    }

    /// <summary>Asserts the invariant; <paramref name="step"/> names the moment in the failure message.</summary>
    public static async Task<Report> AssertHeldAsync(this BookingWorld world, string step)
    {
        var r = await world.CheckAsync();
        Assert.True(r.Unassigned == 0 && r.OffRoster == 0 && r.TherapistOverlaps == 0 && r.MaxConcurrent <= r.Therapists,
            $"capacity invariant broken after {step}: {r}");
        return r;
    }

    /// <summary>Every hold of the vendor-day lapses at once, as TTL expiry would make it (no waiting for the TTL).</summary>
    public static async Task ExpireHoldsAsync(this BookingWorld world, IDatabase redis, DateOnly date)
    {
        var server = redis.Multiplexer.GetServer(RedisKeys.BookingHold(world.VendorId, date, "any"));   // the vendor-day's slot: one node
        var keys = new List<RedisKey>();
        await foreach (var k in server.KeysAsync(redis.Database, pattern: $"ombaro:booking:*{{{world.VendorId}:{date:yyyy-MM-dd}}}*")) keys.Add(k);
        if (keys.Count > 0) await redis.KeyDeleteAsync(keys.ToArray());
    }
}
