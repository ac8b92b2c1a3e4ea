using Ombaro.Api.Features.Desks;
using Ombaro.Api.Infrastructure.Caching;

namespace Ombaro.Api.Features.Admin;

/// <summary>
/// Call <see cref="InvalidateAsync"/> after committing any change to <c>users</c> (sign-up, role, status,
/// name): the admin user list pages and the admin dashboard's users-by-role are reloaded on the next read.
/// </summary>
public sealed class UserCaches(CacheAside cache)
{
    public Task InvalidateAsync() =>
        Task.WhenAll(cache.BumpGenerationAsync(DeskCaches.Users), cache.BumpGenerationAsync(DeskCaches.AdminDashboard));
}
