namespace Ombaro.Api.Features.Bookings;

public static class BookingStatus
{
    public const string Pending = "pending", Confirmed = "confirmed", Assigned = "assigned", InProgress = "in_progress",
        Completed = "completed", Cancelled = "cancelled", NoShow = "no_show";

    public static readonly IReadOnlyList<string> All = [Pending, Confirmed, Assigned, InProgress, Completed, Cancelled, NoShow];
}
