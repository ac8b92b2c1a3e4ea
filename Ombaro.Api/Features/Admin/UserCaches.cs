using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Admin;

/// <summary>
/// Every cache that depends on a user, in one place. Call the method that names the write after committing any
/// change to <c>users</c> or a <c>*_profiles</c> row:
/// <list type="bullet">
/// <item>the profile (<c>ombaro:profile:{role}:{id}</c>, <c>GET /profile</c>) and the auth snapshot (<c>ombaro:user:{id}</c>, <c>GET /auth/me</c>);</item>
/// <item>the snapshot's generation, when the role or status changed (every instance drops the old role at once);</item>
/// <item>the admin user list pages (family <c>users</c>) and the admin dashboard's users-by-role (family <c>admin-dashboard</c>).</item>
/// </list>
/// </summary>
public sealed class UserCaches(CacheAside cache, UserSnapshots snapshots)
{
    /// <summary>A user joined (sign-up, created by an admin), or a field the admin lists show changed.</summary>
    public Task ListsChangedAsync() =>
        Task.WhenAll(cache.BumpGenerationAsync(DeskCaches.Users), cache.BumpGenerationAsync(DeskCaches.AdminDashboard));

    /// <summary>Profile fields changed (the user's own edit, an employee's territory); <paramref name="listed"/>: the name too.</summary>
    public async Task ProfileChangedAsync(Guid userId, string role, bool listed)
    {
        await cache.InvalidateAsync(RedisKeys.Profile(role, userId), RedisKeys.User(userId));
        if (listed) await ListsChangedAsync();
    }

    /// <summary>
    /// The role or status changed: the snapshot generation moves (throws when the state Redis cannot count it, so the caller
    /// fails and is retried), the profile under the old and the new role is dropped, and the lists are reloaded.
    /// </summary>
    public async Task AccessChangedAsync(Guid userId, string roleBefore, string roleAfter)
    {
        await snapshots.ChangedAsync(userId);
        await cache.InvalidateAsync(RedisKeys.Profile(roleBefore, userId), RedisKeys.Profile(roleAfter, userId));
        await ListsChangedAsync();
    }
}
