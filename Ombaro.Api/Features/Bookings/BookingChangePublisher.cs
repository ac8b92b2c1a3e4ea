namespace Ombaro.Api.Features.Bookings;

/// <summary>Calls every <see cref="IBookingChangeListener"/> after a commit. A failing listener is logged: the change stands.</summary>
public sealed partial class BookingChangePublisher(IEnumerable<IBookingChangeListener> listeners, ILogger<BookingChangePublisher> logger)
{
    public async Task PublishAsync(BookingChange change)
    {
        foreach (var listener in listeners)
        {
            try { await listener.OnBookingChangedAsync(change, CancellationToken.None); }
            catch (Exception e) { LogListenerFailed(e, listener.GetType().Name, change.BookingId); }
        }
    }

    [LoggerMessage(LogLevel.Error, "Booking change listener {Listener} failed for booking {BookingId}")]
    partial void LogListenerFailed(Exception e, string listener, Guid bookingId);
}
