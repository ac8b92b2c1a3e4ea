namespace Ombaro.Api.Infrastructure.Redis;

/// <summary>
/// The only place that builds Redis keys (DESIGN.md, "Redis key map"). Braces inside a key are Redis
/// Cluster hash tags: keys that one script touches together share a slot.
/// </summary>
public static class RedisKeys
{
    const string P = "ombaro:";

    /// <summary><c>ombaro:otp:{mobile}</c>: the pending code; every OTP key of one mobile shares the <c>{mobile}</c> hash tag.</summary>
    public static RedisKey Otp(string mobile) => $"{P}otp:{{{mobile}}}";
    public static RedisKey OtpCooldown(string mobile) => $"{P}otp:{{{mobile}}}:cooldown";
    public static RedisKey OtpHourly(string mobile) => $"{P}otp:{{{mobile}}}:hourly";
    /// <summary>Wrong codes one client (address, IPv6 /64) gave for one mobile, kept across codes for the failure window.</summary>
    public static RedisKey OtpFailures(string mobile, string client) => $"{P}otp:{{{mobile}}}:failures:{client}";
    /// <summary>The platform-wide SMS budget (sliding window of sends).</summary>
    public static RedisKey SmsBudget => $"{P}sms:budget";

    /// <summary>
    /// <c>ombaro:session:{user_id}:{digest}</c>: one login. A user's sessions and their index share the <c>{user_id}</c>
    /// hash tag, so one MULTI creates or revokes them on a Redis Cluster too.
    /// </summary>
    public static RedisKey Session(Guid userId, string tokenDigest) => $"{P}session:{{{userId}}}:{tokenDigest}";
    public static RedisKey User(Guid userId) => $"{P}user:{userId}";
    /// <summary>Bumped on every role or status change (state Redis); a cached snapshot of an older generation is not served.</summary>
    public static RedisKey UserGeneration(Guid userId) => $"{P}user:{{{userId}}}:generation";
    public static RedisKey UserSessions(Guid userId) => $"{P}user:{{{userId}}}:sessions";
    /// <summary>
    /// <c>ombaro:ratelimit:{user_id}:{policy}:tat</c>: a <c>user</c> rate-limit policy of one user (as
    /// <see cref="RateLimit"/>), under the hash tag of the user's sessions, so the session script checks it in the same step.
    /// </summary>
    public static RedisKey UserRateLimit(Guid userId, string policy) => $"{P}ratelimit:{{{userId}}}:{policy}:tat";
    public static RedisKey Profile(string role, Guid userId) => $"{P}profile:{role}:{userId}";

    public static RedisKey VendorDetail(Guid vendorId) => $"{P}vendor:detail:{vendorId}";
    /// <summary>The pub/sub channel (cache Redis) on which an instance tells the others which L1 entries to drop.</summary>
    public static RedisChannel L1Invalidations => RedisChannel.Literal($"{P}cache:l1:invalidations");
    /// <summary>
    /// Search result cache, the seed's <c>ombaro:vendors:{lat}:{lng}:{type}:{r}</c> plus <c>:g{generation}</c>: callers
    /// pass lat/lng already snapped to the grid, and the current "vendor-search" generation, so that one bump
    /// after a vendor change makes every older entry unreachable.
    /// </summary>
    public static RedisKey VendorSearch(string lat, string lng, string type, string radius, long generation) =>
        $"{P}vendors:{lat}:{lng}:{type}:{radius}:g{generation}";
    /// <summary><c>ombaro:{geo:vendors}:{type}</c>: all vendor geo sets share one hash tag, so one MULTI keeps them in step.</summary>
    public static RedisKey GeoVendors(string type) => $"{P}{{geo:vendors}}:{type}";
    /// <summary>Companion of the vendor geo sets (an index, no TTL): present once they were built from PostgreSQL.</summary>
    public static RedisKey GeoVendorsBuilt => $"{P}{{geo:vendors}}:built";
    /// <summary>Held (with a TTL) by the one instance rebuilding the vendor geo sets.</summary>
    public static RedisKey GeoVendorsRebuilding => $"{P}{{geo:vendors}}:rebuilding";

    public static RedisKey GeoTherapists => $"{P}{{geo:therapists}}";
    public static RedisKey GeoTherapistsSeen => $"{P}{{geo:therapists}}:seen";
    /// <summary>
    /// <c>ombaro:{geo:therapists}:location:{id}</c>: a therapist's latest fix, on the slot of the live set, because one
    /// script writes the fix, the geo set and last-seen together.
    /// </summary>
    public static RedisKey TherapistLocation(Guid therapistId) => $"{P}{{geo:therapists}}:location:{therapistId}";

    public static RedisKey Booking(Guid bookingId) => $"{P}booking:{bookingId}";
    /// <summary>
    /// <c>ombaro:booking:lock:{vendor:date}:{therapist}:HH:mm</c>: one therapist's grid slot, held for a hold; one hash tag
    /// per vendor-day, so a hold's script sees every candidate therapist's locks at once.
    /// </summary>
    public static RedisKey BookingLock(Guid vendorId, DateOnly date, Guid therapistId, TimeOnly time) =>
        $"{P}booking:lock:{{{vendorId}:{Date(date)}}}:{therapistId}:{time.ToString("HH:mm", CultureInfo.InvariantCulture)}";
    /// <summary>
    /// <c>ombaro:booking:hold:{vendor:date}:{holdId}</c>: the record of one slot hold (customer, service, slots), with
    /// the same hash tag and TTL as its slot locks, so one script takes or releases them together.
    /// </summary>
    public static RedisKey BookingHold(Guid vendorId, DateOnly date, string holdId) =>
        $"{P}booking:hold:{{{vendorId}:{Date(date)}}}:{holdId}";
    /// <summary><c>ombaro:booking:holds:{customer}</c>: a customer's live hold ids scored by expiry, for the hold limit.</summary>
    public static RedisKey BookingCustomerHolds(Guid customerId) => $"{P}booking:holds:{{{customerId}}}";

    public static RedisKey Attendance(Guid userId, DateOnly date) => $"{P}attendance:{userId}:{Date(date)}";
    /// <summary>
    /// <c>ombaro:ratelimit:{subject}:{policy}:tat</c>, a string (the policy's GCRA theoretical arrival time): every
    /// policy of one subject (an address, a user) shares the subject's hash tag, so one script checks them all on one
    /// cluster slot. (The <c>:tat</c> suffix keeps it apart from the sorted sets of the former sliding-window log, which
    /// instances of the previous release still write during a rolling deploy.)
    /// </summary>
    public static RedisKey RateLimit(string subject, string policy) => $"{P}ratelimit:{{{subject}}}:{policy}:tat";

    public static RedisKey Queue(string name) => $"{P}queue:{name}";
    public static RedisKey QueueProcessing(string name) => $"{P}queue:{name}:processing";
    /// <summary>Sorted set of the jobs in <see cref="QueueProcessing"/> by claim time (ms), to re-queue those of a crashed worker.</summary>
    public static RedisKey QueueClaims(string name) => $"{P}queue:{name}:claims";

    /// <summary>Dashboards, lists and analytics: <c>ombaro:cache:{area}:{part}:{part}...</c>.</summary>
    public static RedisKey Cache(string area, params object[] parts) =>
        $"{P}cache:{area}" + string.Concat(parts.Select(p => ":" + Convert.ToString(p, CultureInfo.InvariantCulture)));

    static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
