namespace Ombaro.Api.Infrastructure.Auth;

/// <summary>
/// A user's auth snapshot (role, status, name) cached for an hour at <c>ombaro:user:{id}</c>, read by every
/// authenticated request. Each snapshot carries the user's generation (<c>ombaro:user:{id}:generation</c> on the
/// state Redis), which <see cref="ChangedAsync"/> bumps after a role or status change: a snapshot of an older
/// generation is never served, so no instance (and no load that raced the change) can keep an old role alive.
/// </summary>
public sealed class UserSnapshots(CacheAside cache, NpgsqlDataSource db, RedisConnections redis)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(1);
    /// <summary>Outlives every snapshot: when the counter expires, all snapshots stamped with it are long gone.</summary>
    static readonly TimeSpan GenerationTtl = TimeSpan.FromDays(1);

    public sealed record Snapshot(Guid Id, string Mobile, string Role, string Status, string? Name, long Generation = 0)
    {
        [System.Text.Json.Serialization.JsonIgnore] public bool IsActive => Status == UserStatus.Active;
    }

    public async Task<Snapshot?> GetAsync(Guid userId, CancellationToken ct)
    {
        var generation = (long?)await redis.StateDb.StringGetAsync(RedisKeys.UserGeneration(userId)) ?? 0;
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
        await cache.InvalidateAsync(RedisKeys.User(userId));
    }
}
