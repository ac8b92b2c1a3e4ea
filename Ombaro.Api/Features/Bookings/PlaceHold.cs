namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// <c>POST /api/v1/bookings/holds</c> (customer): reserves one therapist's time for a service start for
/// <c>Bookings:HoldTtl</c> (30 s): the first therapist of the vendor (roster order) free in PostgreSQL whose every grid slot
/// of the service is unheld, all or nothing (one Lua script). 409 "Fully booked" when no therapist-time is left; 429 past
/// <c>Bookings:MaxLiveHolds</c> live holds; 409 beyond <c>Bookings:Horizon</c>.
/// </summary>
public sealed class PlaceHold : ICarterModule
{
    public sealed record Request(Guid VendorId, Guid ServiceId, DateOnly Date, TimeOnly StartTime);
    public sealed record Response(string HoldToken, DateTimeOffset ExpiresAt, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
        IReadOnlyList<string> Slots, Guid TherapistId);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.VendorId).NotEmpty();
            RuleFor(r => r.ServiceId).NotEmpty();
            RuleFor(r => r.Date).NotEmpty();
            RuleFor(r => r.StartTime).Must(t => t.Second == 0 && t.Millisecond == 0).WithMessage("Whole minutes only (HH:mm).");
        }
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapPost("/bookings/holds", Handle).RequireAuthorization(Roles.Customer).Validate<Request>()
            .WithName("PlaceHold").WithSummary("Reserve a therapist's time for a service start for a short time, all or nothing.");

    static async Task<Results<Created<Response>, NotFound, ValidationProblem, ConflictProblem, TooManyRequestsProblem>> Handle(
        Request request, ClaimsPrincipal user, BookingCalendar calendar, SlotHolds holds, IOptions<BookingOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var day = await calendar.LoadDayAsync(request.VendorId, request.ServiceId, request.Date, ct);
        if (day is null) return TypedResults.NotFound();
        if (day.Slot(request.StartTime) is not { } slot)
            return Invalid("The time is not a start on the vendor's 30-minute grid inside its opening hours for this service.");
        var now = clock.GetUtcNow();
        if (slot.StartsAt <= now) return Invalid("The time has passed.");
        if (BookingLimits.BeyondHorizon(slot.StartsAt, now, options.Value) is { } horizon) return horizon;

        var schedule = await calendar.ScheduleAsync(day.VendorId, slot.StartsAt, slot.EndsAt, ct);
        var result = await holds.PlaceAsync(user.UserId(), day, slot, schedule.FreeTherapists(slot.StartsAt, slot.EndsAt));
        return result switch
        {
            SlotHolds.Placed p => TypedResults.Created($"/api/v1/bookings/holds/{p.Token}",
                new Response(p.Token, p.ExpiresAt, slot.StartsAt, slot.EndsAt, slot.Spans.Select(t => t.ToString("HH:mm")).ToList(), p.TherapistId)),
            SlotHolds.FullyBooked => Problems.Conflict("Fully booked",
                $"Every therapist's time at {slot.Start:HH:mm} on {day.Date:yyyy-MM-dd} is booked or held; choose another start.",
                new Dictionary<string, object?> { ["slot"] = slot.Start.ToString("HH:mm") }),
            SlotHolds.LimitReached l => Problems.TooManyRequests("Hold limit", $"You already hold {l.Limit} slots; book or release one (or let it lapse) first.",
                BookingLimits.Named("Bookings:MaxLiveHolds", l.Limit)),
            _ => throw new InvalidOperationException(result.ToString()),
        };
    }

    static ValidationProblem Invalid(string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["startTime"] = [error] });
}
