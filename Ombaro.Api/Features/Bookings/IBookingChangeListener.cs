namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// What must follow a booking change at once (cache invalidation of booking lists, dashboards,
/// earnings, revenue...). Every registered listener is called after each committed change.
/// </summary>
public interface IBookingChangeListener
{
    Task OnBookingChangedAsync(BookingChange change, CancellationToken ct);
}
