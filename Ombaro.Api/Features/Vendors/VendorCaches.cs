using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Vendors;

/// <summary>
/// Every cache that depends on a vendor, in one place. Call the method that names the write after committing it:
/// <list type="bullet">
/// <item>the listing (row, opening hours, services, status): the vendor detail (<c>GET /vendors/{id}</c>) and the search
/// generation, which every search page and every employee's territory vendor list carry in their keys, in Redis and in
/// every instance's L1 (<see cref="L1Cache"/>);</item>
/// <item>the roster (a therapist joined): the roster (<c>GET /vendors/{id}/therapists</c>) and the vendor dashboard,
/// whose utilisation counts active therapists.</item>
/// </list>
/// Booking changes reach the vendor's booking lists and dashboard through <c>BookingCaches</c>.
/// </summary>
public sealed class VendorCaches(CacheAside cache, L1Cache l1)
{
    /// <summary>Redis first, then every instance's L1 (which would otherwise refill from Redis' old value).</summary>
    public async Task ChangedAsync(Guid vendorId)
    {
        await cache.InvalidateAsync(RedisKeys.VendorDetail(vendorId));
        await cache.BumpGenerationAsync(VendorCatalog.SearchFamily);
        await l1.InvalidateAsync(RedisKeys.VendorDetail(vendorId).ToString());
        await l1.InvalidateFamilyAsync(VendorCatalog.SearchFamily);
    }

    public async Task RosterChangedAsync(Guid vendorId)
    {
        await cache.InvalidateAsync(DeskCaches.VendorRoster(vendorId));
        await cache.BumpGenerationAsync(DeskCaches.VendorDashboard(vendorId));
    }
}
