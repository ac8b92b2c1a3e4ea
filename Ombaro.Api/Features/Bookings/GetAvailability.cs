namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// <c>GET /api/v1/vendors/{id}/availability?date&amp;serviceId</c>: the starts on the vendor's 30-minute grid (in its
/// time zone) at which therapist-time remains: some active therapist has no live booking over the whole service and none
/// of their grid slots it spans is held. This is the capacity a hold checks, so a start offered can be held, and one whose
/// last therapist-time is booked or held disappears.
/// </summary>
public sealed class GetAvailability : ICarterModule
{
    public sealed record Request(Guid Id, DateOnly Date, Guid ServiceId);
    public sealed record Slot(string StartTime, DateTimeOffset StartsAt, DateTimeOffset EndsAt);
    public sealed record Response(Guid VendorId, Guid ServiceId, DateOnly Date, string TimeZone, int DurationMinutes, IReadOnlyList<Slot> Slots);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.ServiceId).NotEmpty();
            RuleFor(r => r.Date).NotEmpty();
        }
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapGet("/vendors/{id:guid}/availability", Handle).Validate<Request>()
            .WithName("GetAvailability").WithSummary("Free starts of a service on a date, in the vendor's time zone (held and past slots left out).");

    static async Task<Results<Ok<Response>, NotFound, ValidationProblem>> Handle(
        [AsParameters] Request request, BookingCalendar calendar, SlotHolds holds, TimeProvider clock, CancellationToken ct)
    {
        var day = await calendar.LoadDayAsync(request.Id, request.ServiceId, request.Date, ct);
        if (day is null) return TypedResults.NotFound();
        var now = clock.GetUtcNow();
        var future = day.Slots.Where(s => s.StartsAt > now).ToList();
        if (future.Count == 0) return TypedResults.Ok(ToResponse(day, []));

        var schedule = await calendar.ScheduleAsync(day.VendorId, future[0].StartsAt, future.Max(s => s.EndsAt), ct);
        var held = await holds.HeldAsync(day.VendorId, day.Date, schedule.Therapists, future.SelectMany(s => s.Spans).Distinct().ToList());
        var free = future.Where(s => schedule.FreeTherapists(s.StartsAt, s.EndsAt).Any(t => !s.Spans.Any(span => held.Contains((t, span)))));
        return TypedResults.Ok(ToResponse(day, free.Select(s => new Slot(s.Start.ToString("HH:mm"), s.StartsAt, s.EndsAt)).ToList()));
    }

    static Response ToResponse(ServiceDay day, IReadOnlyList<Slot> slots) =>
        new(day.VendorId, day.ServiceId, day.Date, day.TimeZone, day.DurationMinutes, slots);
}
