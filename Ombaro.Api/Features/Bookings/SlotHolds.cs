using System.Buffers.Binary;

namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// Holds reserve therapist-time on the state Redis. A hold takes, for ONE therapist, the lock of every grid slot its
/// service spans (<c>ombaro:booking:lock:{vendor:date}:{therapist}:HH:mm</c>, value = the hold id) and writes its record
/// (<c>ombaro:booking:hold:{vendor:date}:{holdId}</c>, naming the therapist) in one script, all or nothing, with one TTL:
/// the script picks the first candidate whose spans are all free, so N free therapists give N holds and never two on one
/// therapist-time. A customer's live holds are counted in <c>ombaro:booking:holds:{customer}</c> (the hold limit).
/// The token encodes the vendor and date (to find the keys) and a random secret whose digest is the hold id, so Redis
/// never holds the token itself. The PostgreSQL exclusion constraint still decides whether a booking may exist.
/// </summary>
public sealed class SlotHolds(RedisConnections redis, IOptions<BookingOptions> options, TimeProvider clock)
{
    static readonly RedisScript Acquire = RedisScript.Named("hold_acquire");
    static readonly RedisScript Quota = RedisScript.Named("hold_quota");
    static readonly RedisScript Release = RedisScript.Named("hold_release");
    static readonly RedisScript Claim = RedisScript.Named("hold_claim");
    IDatabase Db => redis.StateDb;

    /// <summary>A live hold, as its record stores it: the therapist whose time it reserves, and when.</summary>
    public sealed record Hold(string Id, Guid CustomerId, Guid VendorId, Guid ServiceId, DateOnly Date, IReadOnlyList<TimeOnly> Slots,
        Guid TherapistId, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

    public abstract record PlaceResult;
    public sealed record Placed(string Token, DateTimeOffset ExpiresAt, Guid TherapistId) : PlaceResult;
    /// <summary>Every candidate therapist's time is held (or there was no candidate).</summary>
    public sealed record FullyBooked : PlaceResult;
    /// <summary>The customer already has <see cref="BookingOptions.MaxLiveHolds"/> live holds.</summary>
    public sealed record LimitReached(int Limit) : PlaceResult;

    /// <summary>
    /// Reserves the time of the first of <paramref name="candidates"/> (therapists free for the slot in PostgreSQL, in roster
    /// order) whose every span is unheld, for the customer, within their limit of live holds.
    /// </summary>
    public async Task<PlaceResult> PlaceAsync(Guid customerId, ServiceDay day, ServiceSlot slot, IReadOnlyList<Guid> candidates)
    {
        if (candidates.Count == 0) return new FullyBooked();
        var secret = RandomNumberGenerator.GetBytes(16);
        var id = HoldId(secret);
        var ttl = (long)options.Value.HoldTtl.TotalMilliseconds;
        var limit = options.Value.MaxLiveHolds;
        var quota = RedisKeys.BookingCustomerHolds(customerId);
        if ((int)await Quota.EvaluateAsync(Db, [quota], [id, ttl, limit]) == 0) return new LimitReached(limit);

        RedisKey[] keys = [RedisKeys.BookingHold(day.VendorId, day.Date, id),
            .. candidates.SelectMany(t => slot.Spans.Select(s => RedisKeys.BookingLock(day.VendorId, day.Date, t, s)))];
        RedisValue[] args =
        [
            id, ttl, slot.Spans.Count, candidates.Count, .. candidates.Select(t => (RedisValue)t.ToString()),
            "customer", customerId.ToString(), "service", day.ServiceId.ToString(), "slots", string.Join(',', slot.Spans.Select(Time)),
            "starts_at", slot.StartsAt.ToUnixTimeMilliseconds(), "ends_at", slot.EndsAt.ToUnixTimeMilliseconds(),
        ];
        var chosen = (int)await Acquire.EvaluateAsync(Db, keys, args);
        if (chosen > 0) return new Placed(Token(day.VendorId, day.Date, secret), clock.GetUtcNow() + options.Value.HoldTtl, candidates[chosen - 1]);
        await Db.SortedSetRemoveAsync(quota, id);
        return new FullyBooked();
    }

    /// <summary>The live hold a token names, whoever owns it; null when the token is malformed or the hold is gone.</summary>
    public async Task<Hold?> FindAsync(string token)
    {
        if (!TryParse(token, out var vendorId, out var date, out var id)) return null;
        var fields = (await Db.HashGetAllAsync(RedisKeys.BookingHold(vendorId, date, id))).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        if (!fields.TryGetValue("therapist", out var therapist) || !Guid.TryParse(therapist, out var therapistId)) return null;
        return new Hold(id, Guid.Parse(fields["customer"]), vendorId, Guid.Parse(fields["service"]), date,
            fields["slots"].Split(',').Select(t => TimeOnly.ParseExact(t, "HH:mm", CultureInfo.InvariantCulture)).ToList(), therapistId,
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(fields["starts_at"], CultureInfo.InvariantCulture)),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(fields["ends_at"], CultureInfo.InvariantCulture)));
    }

    /// <summary>Releases the customer's hold (compare-and-delete); false when it is not theirs or already gone.</summary>
    public async Task<bool> ReleaseAsync(string token, Guid customerId) =>
        await FindAsync(token) is { } hold && await ReleaseAsync(hold, customerId);

    public async Task<bool> ReleaseAsync(Hold hold, Guid customerId)
    {
        RedisKey[] keys = [RedisKeys.BookingHold(hold.VendorId, hold.Date, hold.Id), .. Locks(hold)];
        var released = (int)await Release.EvaluateAsync(Db, keys, [hold.Id, customerId.ToString()]) == 1;
        if (released) await Db.SortedSetRemoveAsync(RedisKeys.BookingCustomerHolds(customerId), hold.Id);
        return released;
    }

    /// <summary>
    /// A booking now holds the therapist-time: the hold record goes (and stops counting against the customer's limit), but
    /// its locks stay until their TTL, so a hold placed from a calendar read just before the booking's commit cannot take
    /// the same therapist-time again.
    /// </summary>
    public async Task ConsumeAsync(Hold hold)
    {
        await Db.KeyDeleteAsync(RedisKeys.BookingHold(hold.VendorId, hold.Date, hold.Id));
        await Db.SortedSetRemoveAsync(RedisKeys.BookingCustomerHolds(hold.CustomerId), hold.Id);
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

    /// <summary>
    /// Which of the therapists have some of the given slots of a vendor-day held now: therapist → held slots (one MGET,
    /// the keys share a hash tag).
    /// </summary>
    public async Task<IReadOnlySet<(Guid Therapist, TimeOnly Slot)>> HeldAsync(Guid vendorId, DateOnly date, IReadOnlyCollection<Guid> therapists,
        IReadOnlyCollection<TimeOnly> slots)
    {
        var pairs = therapists.SelectMany(t => slots.Select(s => (Therapist: t, Slot: s))).ToList();
        if (pairs.Count == 0) return new HashSet<(Guid, TimeOnly)>();
        var values = await Db.StringGetAsync(pairs.Select(p => RedisKeys.BookingLock(vendorId, date, p.Therapist, p.Slot)).ToArray());
        return pairs.Where((_, i) => !values[i].IsNull).ToHashSet();
    }

    static IEnumerable<RedisKey> Locks(Hold hold) => hold.Slots.Select(t => RedisKeys.BookingLock(hold.VendorId, hold.Date, hold.TherapistId, t));

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
