namespace Ombaro.Api.Features.Bookings;

/// <summary>A booking and the owner of its vendor: what <c>ombaro:booking:{id}</c> caches, enough to decide who may see it.</summary>
public sealed record BookingRecord(BookingDto Booking, Guid VendorOwnerId)
{
    /// <summary>The customer, the vendor's owner, the assigned therapist, or an admin.</summary>
    public bool VisibleTo(Guid userId, string role) => role switch
    {
        Roles.Admin => true,
        Roles.Customer => Booking.CustomerId == userId,
        Roles.Vendor => VendorOwnerId == userId,
        Roles.Therapist => Booking.TherapistId == userId,
        _ => false,
    };
}
