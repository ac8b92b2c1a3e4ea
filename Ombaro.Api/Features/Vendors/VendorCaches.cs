using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Vendors;

/// <summary>
/// Every cache that depends on a vendor, in one place. Call the method that names the write after committing it:
/// <list type="bullet">
/// <item>the listing (row, opening hours, services, status): the vendor detail (<c>GET /vendors/{id}</c>) and the search
/// generation, which every search page and every employee's territory vendor list carry in their keys;</item>
/// <item>the roster (a therapist joined): the roster (<c>GET /vendors/{id}/therapists</c>) and the vendor dashboard,
/// whose utilisation counts active therapists.</item>
/// </list>
/// Booking changes reach the vendor's booking lists and dashboard through <c>BookingCaches</c>.
/// </summary>
public sealed class VendorCaches(CacheAside cache)
{
    public async Task ChangedAsync(Guid vendorId)
    {
        await cache.InvalidateAsync(RedisKeys.VendorDetail(vendorId));
        await cache.BumpGenerationAsync(Vendors.SearchFamily);
    }

    public async Task RosterChangedAsync(Guid vendorId)
    {
        await cache.InvalidateAsync(DeskCaches.VendorRoster(vendorId));
        await cache.BumpGenerationAsync(DeskCaches.VendorDashboard(vendorId));
    }
}
