namespace Ombaro.Api.Features.Bookings;

/// <summary>A booking was created or changed status; published after the PostgreSQL commit.</summary>
public sealed record BookingChange(
    Guid BookingId, Guid CustomerId, Guid VendorId, Guid? TherapistId,
    string? OldStatus, string NewStatus, DateTimeOffset StartsAt);

/// <summary>
/// What must follow a booking change at once (cache invalidation of booking lists, dashboards,
/// earnings, revenue...). Every registered listener is called after each committed change.
/// </summary>
public interface IBookingChangeListener
{
    Task OnBookingChangedAsync(BookingChange change, CancellationToken ct);
}
