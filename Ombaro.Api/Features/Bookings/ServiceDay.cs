namespace Ombaro.Api.Features.Bookings;

/// <summary>One bookable start of a service: its grid time, its instants, and every grid slot it spans (the locks a hold takes).</summary>
public sealed record ServiceSlot(TimeOnly Start, DateTimeOffset StartsAt, DateTimeOffset EndsAt, IReadOnlyList<TimeOnly> Spans);

/// <summary>A vendor's day for one service, in the vendor's time zone: every start on the 30-minute grid of the opening hours.</summary>
public sealed record ServiceDay(Guid VendorId, Guid ServiceId, DateOnly Date, string TimeZone, int DurationMinutes, IReadOnlyList<ServiceSlot> Slots)
{
    public ServiceSlot? Slot(TimeOnly start) => Slots.FirstOrDefault(s => s.Start == start);
}
