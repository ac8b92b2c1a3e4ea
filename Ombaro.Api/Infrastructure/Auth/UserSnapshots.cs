namespace Ombaro.Api.Infrastructure.Auth;

/// <summary>
/// A user's auth snapshot (role, status, name) cached for an hour at <c>ombaro:user:{id}</c>, read by every
/// authenticated request. Each snapshot carries the user's generation (<c>ombaro:user:{id}:generation</c> on the
/// state Redis), which <see cref="ChangedAsync"/> bumps after a role or status change: a snapshot of an older
/// generation is never served, so no instance (and no load that raced the change) can keep an old role alive.
/// Authentication (<see cref="ForSessionAsync"/>) also keeps the last snapshot of each user in process, with its
/// generation, for <see cref="LocalTtl"/> (emptied after every <see cref="LocalCapacity"/> writes, so it never holds
/// more users): the generation comes from Redis with the session on every request, so a role or status change is seen
/// at once on every instance all the same. Only role and status are taken from it; <c>GET /auth/me</c> (the name)
/// reads the shared snapshot.
/// </summary>
public sealed class UserSnapshots(CacheAside cache, NpgsqlDataSource db, RedisConnections redis, TimeProvider clock)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(1);
    public static readonly TimeSpan LocalTtl = TimeSpan.FromSeconds(30);
    public const int LocalCapacity = 100_000;
    /// <summary>Outlives every snapshot: when the counter expires, all snapshots stamped with it are long gone.</summary>
    static readonly TimeSpan GenerationTtl = TimeSpan.FromDays(1);

    readonly ConcurrentDictionary<Guid, Local> local = new();
    int localWrites;   // ConcurrentDictionary.Count takes every lock: the bound counts writes instead

    sealed record Local(Snapshot Snapshot, DateTimeOffset Until);

    public sealed record Snapshot(Guid Id, string Mobile, string Role, string Status, string? Name, long Generation = 0)
    {
        [System.Text.Json.Serialization.JsonIgnore] public bool IsActive => Status == UserStatus.Active;
    }

    public async Task<Snapshot?> GetAsync(Guid userId, CancellationToken ct)
    {
        var generation = (long?)await redis.StateDb.StringGetAsync(RedisKeys.UserGeneration(userId)) ?? 0;
        return await AtGenerationAsync(userId, generation, ct);
    }

    /// <summary>
    /// The snapshot authentication checks, given the generation read with the session: the in-process one when it is of
    /// that generation and fresh, else the shared one (kept in process after).
    /// </summary>
    public async Task<Snapshot?> ForSessionAsync(Guid userId, long generation, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (local.TryGetValue(userId, out var kept) && kept.Snapshot.Generation == generation && kept.Until > now) return kept.Snapshot;
        var snapshot = await AtGenerationAsync(userId, generation, ct);
        if (snapshot is null || snapshot.Generation != generation) local.TryRemove(userId, out _);
        else
        {
            if (Interlocked.Increment(ref localWrites) > LocalCapacity)   // bounded: after that many writes it starts over
            {
                Interlocked.Exchange(ref localWrites, 0);
                local.Clear();
            }
            local[userId] = new Local(snapshot, now + LocalTtl);
        }
        return snapshot;
    }

    /// <summary>The shared snapshot at a generation already read (an authenticated request's, from its session script).</summary>
    public async Task<Snapshot?> AtGenerationAsync(Guid userId, long generation, CancellationToken ct)
    {
        var snapshot = await Cached(userId, generation, ct);
        if (snapshot is null || snapshot.Generation == generation) return snapshot;
        await cache.InvalidateAsync(RedisKeys.User(userId));   // written by a load that raced a change
        return await Cached(userId, generation, ct);
    }

    Task<Snapshot?> Cached(Guid userId, long generation, CancellationToken ct) =>
        cache.GetOrLoadAsync("user", RedisKeys.User(userId), Ttl, async token =>
        {
            await using var conn = await db.OpenConnectionAsync(token);
            return await conn.QuerySingleOrDefaultAsync<Snapshot>(new CommandDefinition(
                "SELECT id, mobile, role, status, name, @generation AS generation FROM users WHERE id = @userId",
                new { userId, generation }, cancellationToken: token));
        }, ct);

    /// <summary>
    /// After a committed role or status change: bumps the generation (state Redis; throws when it cannot, so the caller
    /// fails and is retried) and drops the snapshot. From then on every instance reads the user anew.
    /// </summary>
    public async Task ChangedAsync(Guid userId)
    {
        var key = RedisKeys.UserGeneration(userId);
        var tx = redis.StateDb.CreateTransaction();
        _ = tx.StringIncrementAsync(key);
        _ = tx.KeyExpireAsync(key, GenerationTtl);
        await tx.ExecuteAsync();
        local.TryRemove(userId, out _);
        await cache.InvalidateAsync(RedisKeys.User(userId));
    }
}
