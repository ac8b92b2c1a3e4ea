namespace Ombaro.Api.Features.Bookings;

public sealed class BookingOptions
{
    public const string Section = "Bookings";

    /// <summary>How long a slot hold lives (its slot locks and its record) unless a booking consumes it first.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HoldTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Abuse limit: live holds one customer may have at once (a third is 429 "Hold limit").</summary>
    [Range(1, 1_000_000)]
    public int MaxLiveHolds { get; set; } = 2;

    /// <summary>Abuse limit: pending (unconfirmed) future bookings one customer may have at once (409 "Pending bookings limit").</summary>
    [Range(1, 1000)]
    public int MaxPendingBookings { get; set; } = 5;

    /// <summary>How far ahead a start may be held and booked (409 "Booking horizon").</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "730.00:00:00")]
    public TimeSpan Horizon { get; set; } = TimeSpan.FromDays(60);

    /// <summary>How long before <c>starts_at</c> the therapist may start the session (409 "Too early to start").</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan StartWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long before <c>starts_at</c> the customer may follow the assigned therapist's live location.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan LocationWindow { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>How long a cached page of a booking list lives; changes make older pages unreachable at once.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ListCacheTtl { get; set; } = TimeSpan.FromMinutes(2);
}
