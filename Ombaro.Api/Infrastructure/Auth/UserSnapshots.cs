using Dapper;
using Npgsql;
using Ombaro.Api.Infrastructure.Caching;
using Ombaro.Api.Infrastructure.Redis;

namespace Ombaro.Api.Infrastructure.Auth;

/// <summary>A user's auth snapshot (role, status, name) cached for an hour at <c>ombaro:user:{id}</c>; invalidated on change.</summary>
public sealed class UserSnapshots(CacheAside cache, NpgsqlDataSource db)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

    public sealed record Snapshot(Guid Id, string Mobile, string Role, string Status, string? Name);

    public Task<Snapshot?> GetAsync(Guid userId, CancellationToken ct) =>
        cache.GetOrLoadAsync("user", RedisKeys.User(userId), Ttl, async token =>
        {
            await using var conn = await db.OpenConnectionAsync(token);
            return await conn.QuerySingleOrDefaultAsync<Snapshot>(new CommandDefinition(
                "SELECT id, mobile, role, status, name FROM users WHERE id = @userId", new { userId }, cancellationToken: token));
        }, ct);

    public Task InvalidateAsync(Guid userId) => cache.InvalidateAsync(RedisKeys.User(userId));
}
