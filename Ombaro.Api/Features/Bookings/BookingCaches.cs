using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// Every cache that depends on a booking, in one place; <see cref="BookingChangePublisher"/> calls it after each
/// committed booking change:
/// <list type="bullet">
/// <item>the booking itself (<c>GET /bookings/{id}</c>);</item>
/// <item>the list pages of everyone it may appear on: the customer, the vendor's owner, the therapist (and a therapist
/// it was moved away from), the admin;</item>
/// <item>the desks: the vendor dashboard, the admin dashboard, the therapist's earnings, and admin revenue when money
/// moved (the booking became, or stopped being, completed).</item>
/// </list>
/// </summary>
public sealed class BookingCaches(CacheAside cache, NpgsqlDataSource db) : IBookingChangeListener
{
    public async Task OnBookingChangedAsync(BookingChange change, CancellationToken ct)
    {
        await cache.InvalidateAsync(RedisKeys.Booking(change.BookingId));
        var families = new List<string>
        {
            BookingLists.Family(Roles.Customer, change.CustomerId), BookingLists.Family(Roles.Admin, null),
            DeskCaches.VendorDashboard(change.VendorId), DeskCaches.AdminDashboard,
        };
        if (change.TherapistId is { } t) families.AddRange([BookingLists.Family(Roles.Therapist, t), DeskCaches.Earnings(t)]);
        if (change.PreviousTherapistId is { } p && p != change.TherapistId) families.Add(BookingLists.Family(Roles.Therapist, p));
        if (change.OldStatus == BookingStatus.Completed || change.NewStatus == BookingStatus.Completed) families.Add(DeskCaches.AdminRevenue);
        await Task.WhenAll(families.Select(cache.BumpGenerationAsync));

        // The vendor's list is its owner's: looked up last, so a database hiccup here still leaves the others fresh.
        await using var conn = await db.OpenConnectionAsync(ct);
        var owner = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT owner_user_id FROM vendors WHERE id = @VendorId", new { change.VendorId }, cancellationToken: ct));
        if (owner is { } o) await cache.BumpGenerationAsync(BookingLists.Family(Roles.Vendor, o));
    }
}
