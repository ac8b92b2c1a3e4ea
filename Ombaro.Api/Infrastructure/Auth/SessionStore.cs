namespace Ombaro.Api.Infrastructure.Auth;

/// <summary>
/// Login sessions in Redis hashes (<c>ombaro:session:{user_id}:{digest}</c>), indexed per user
/// (<c>ombaro:user:{user_id}:sessions</c>, the same hash tag: one cluster slot per user). The bearer token is
/// <c>{user id, 32 hex}.{32 random bytes, base64url}</c>, shown to the client once: the user id only says where the
/// session lives (it is no secret); Redis only ever sees the SHA-256 digest of the whole token.
/// </summary>
public sealed class SessionStore(RedisConnections redis, IOptions<SessionOptions> options, TimeProvider clock)
{
    static readonly RedisScript Touch = RedisScript.Named("session_touch", "gcra");
    SessionOptions Options => options.Value;
    IDatabase Db => redis.StateDb;

    public sealed record Session(string Id, Guid UserId, string Role, DateTimeOffset LoginTime, string? IpAddress,
        string? UserAgent, DateTimeOffset AbsoluteExpiry);

    public sealed record Created(string Token, string SessionId, DateTimeOffset ExpiresAt);

    public async Task<Created> CreateAsync(Guid userId, string role, string? ip, string? userAgent)
    {
        var token = userId.ToString("N") + "." + Base64Url(RandomNumberGenerator.GetBytes(32));
        var id = Digest(token);
        var now = clock.GetUtcNow();
        var absolute = now + Options.AbsoluteExpiry;
        var key = RedisKeys.Session(userId, id);
        var index = RedisKeys.UserSessions(userId);

        await Db.ExecuteAsync("session create", [key, index], tx =>
        {
            _ = tx.HashSetAsync(key,
            [
                new("user_id", userId.ToString()),
                new("role", role),
                new("login_time", now.ToString("O", CultureInfo.InvariantCulture)),
                new("ip_address", ip ?? ""),
                new("user_agent", Truncate(userAgent, 256)),
                new("absolute_expiry", absolute.ToUnixTimeMilliseconds()),
                new("touched", now.ToUnixTimeMilliseconds()),
            ]);
            _ = tx.KeyExpireAsync(key, Min(Options.SlidingExpiry, Options.AbsoluteExpiry));
            _ = tx.SetAddAsync(index, id);
            _ = tx.KeyExpireAsync(index, Options.AbsoluteExpiry, ExpireWhen.GreaterThanCurrentExpiry);
            _ = tx.KeyExpireAsync(index, Options.AbsoluteExpiry, ExpireWhen.HasNoExpiry);
        });
        return new Created(token, id, now + Min(Options.SlidingExpiry, Options.AbsoluteExpiry));
    }

    /// <summary>
    /// A live session and the user's snapshot generation (<see cref="UserSnapshots"/>), read together, with the result of
    /// the user's rate-limit checks (<see cref="RateLimiter.ForUser"/>) when there were any.
    /// </summary>
    public sealed record Validated(string SessionId, Guid UserId, string Role, long UserGeneration, RedisResult[]? UserLimits);

    /// <summary>
    /// The live session for a token, sliding its TTL, with the user's current snapshot generation, and, for a live
    /// session only, the user's rate-limit <paramref name="limits"/> checked and charged (one script, one round trip:
    /// every key carries the user's hash tag); null when unknown, expired or revoked, and then nothing is charged.
    /// </summary>
    public async Task<Validated?> ValidateAsync(string token, IReadOnlyList<RateLimiter.Check> limits)
    {
        if (UserOf(token) is not { } userId) return null;
        var id = Digest(token);
        var result = await Touch.EvaluateAsync(Db,
            [RedisKeys.Session(userId, id), RedisKeys.UserGeneration(userId), .. limits.Select(c => c.Key)],
            [(long)Options.SlidingExpiry.TotalMilliseconds, (long)Options.RefreshInterval.TotalMilliseconds, .. RateLimiter.Arguments(limits)]);
        if (result.IsNull) return null;
        var reply = (RedisResult[])result!;
        return Guid.TryParse((string?)reply[1], out var stored) && stored == userId
            ? new Validated(id, userId, (string)reply[2]!, (long)reply[0], reply.Length > 3 ? (RedisResult[])reply[3]! : null)
            : null;
    }

    public async Task<IReadOnlyList<Session>> ListAsync(Guid userId)
    {
        var index = RedisKeys.UserSessions(userId);
        var ids = (await Db.SetMembersAsync(index)).Select(v => v.ToString()).ToList();
        var batch = Db.CreateBatch();
        var reads = ids.Select(id => batch.HashGetAllAsync(RedisKeys.Session(userId, id))).ToList();
        batch.Execute();
        var hashes = await Task.WhenAll(reads);
        var now = clock.GetUtcNow();
        var live = new List<Session>();
        var gone = new List<RedisValue>();
        for (var i = 0; i < ids.Count; i++)
        {
            var session = hashes[i].Length == 0 ? null : ToSession(ids[i], hashes[i].ToDictionary(e => e.Name.ToString(), e => e.Value.ToString()));
            if (session is null || session.AbsoluteExpiry <= now) gone.Add(ids[i]);
            else live.Add(session);
        }
        if (gone.Count > 0) await Db.SetRemoveAsync(index, gone.ToArray());   // tidy the index
        return live.OrderByDescending(s => s.LoginTime).ToList();
    }

    /// <summary>Revokes one of the user's sessions; false when the user has no such session.</summary>
    public async Task<bool> RevokeAsync(Guid userId, string sessionId)
    {
        var index = RedisKeys.UserSessions(userId);
        var key = RedisKeys.Session(userId, sessionId);
        return await Db.ExecuteAsync("session revoke", [index, key], tx =>
        {
            tx.AddCondition(Condition.SetContains(index, sessionId));
            _ = tx.KeyDeleteAsync(key);
            _ = tx.SetRemoveAsync(index, sessionId);
        });
    }

    /// <summary>Revokes every session of the user (log out everywhere, role change, deactivation).</summary>
    public async Task<int> RevokeAllAsync(Guid userId)
    {
        var index = RedisKeys.UserSessions(userId);
        while (true)
        {
            var ids = await Db.SetMembersAsync(index);
            RedisKey[] sessions = [.. ids.Select(id => RedisKeys.Session(userId, id.ToString()))];
            var revoked = await Db.ExecuteAsync("sessions revoke all", [index, .. sessions], tx =>
            {
                tx.AddCondition(Condition.SetLengthEqual(index, ids.Length));   // a login in between: try again
                foreach (var session in sessions) _ = tx.KeyDeleteAsync(session);
                _ = tx.KeyDeleteAsync(index);
            });
            if (revoked) return ids.Length;
        }
    }

    /// <summary>The user a well-formed token names (<c>{32 hex}.{43 base64url}</c>); null for anything else.</summary>
    public static Guid? UserOf(string token) =>
        token.Length == TokenLength && token[32] == '.' && Guid.TryParseExact(token.AsSpan(0, 32), "N", out var user) ? user : null;

    const int TokenLength = 32 + 1 + 43;

    public static string Digest(string token) => Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    static Session? ToSession(string id, Dictionary<string, string> f)
    {
        if (!f.TryGetValue("user_id", out var user) || !Guid.TryParse(user, out var userId)) return null;
        return new Session(id, userId, f.GetValueOrDefault("role", ""),
            DateTimeOffset.Parse(f.GetValueOrDefault("login_time", "1970-01-01T00:00:00Z"), CultureInfo.InvariantCulture),
            NullIfEmpty(f.GetValueOrDefault("ip_address")), NullIfEmpty(f.GetValueOrDefault("user_agent")),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(f.GetValueOrDefault("absolute_expiry", "0"), CultureInfo.InvariantCulture)));
    }

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
    static string Truncate(string? s, int max) => s is null ? "" : s.Length <= max ? s : s[..max];
    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
