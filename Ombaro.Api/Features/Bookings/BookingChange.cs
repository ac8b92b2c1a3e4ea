namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// A booking was created or changed status; published after the PostgreSQL commit. <see cref="PreviousTherapistId"/>
/// is set when the change took the booking away from a therapist (reassignment), whose lists are affected too.
/// </summary>
public sealed record BookingChange(
    Guid BookingId, Guid CustomerId, Guid VendorId, Guid? TherapistId,
    string? OldStatus, string NewStatus, DateTimeOffset StartsAt, Guid? PreviousTherapistId = null);
