using System.Security.Claims;
using Carter;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Ombaro.Api.Infrastructure.Auth;
using Ombaro.Api.Infrastructure.Http;

namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// <c>POST /api/v1/bookings/holds</c> (customer): holds every grid slot the service spans, all or nothing, for
/// <c>Bookings:HoldTtl</c> (30 s); the first free therapist, if any, is proposed for the booking. 409 names the taken slot.
/// </summary>
public sealed class PlaceHold : ICarterModule
{
    public sealed record Request(Guid VendorId, Guid ServiceId, DateOnly Date, TimeOnly StartTime);
    public sealed record Response(string HoldToken, DateTimeOffset ExpiresAt, DateTimeOffset StartsAt, DateTimeOffset EndsAt, IReadOnlyList<string> Slots);

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
            .WithName("PlaceHold").WithSummary("Hold the slots of a service start for a short time, all or nothing.")
            .ProducesProblem(StatusCodes.Status409Conflict);

    static async Task<Results<Created<Response>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, ClaimsPrincipal user, BookingCalendar calendar, SlotHolds holds, TimeProvider clock, CancellationToken ct)
    {
        var day = await calendar.LoadDayAsync(request.VendorId, request.ServiceId, request.Date, ct);
        if (day is null) return TypedResults.NotFound();
        if (day.Slot(request.StartTime) is not { } slot)
            return Invalid("The time is not a start on the vendor's 30-minute grid inside its opening hours for this service.");
        if (slot.StartsAt <= clock.GetUtcNow()) return Invalid("The time has passed.");

        var schedule = await calendar.ScheduleAsync(day.VendorId, slot.StartsAt, slot.EndsAt, ct);
        var result = await holds.PlaceAsync(user.UserId(), day, slot, schedule.FreeTherapist(slot.StartsAt, slot.EndsAt));
        return result switch
        {
            SlotHolds.Placed p => TypedResults.Created($"/api/v1/bookings/holds/{p.Token}",
                new Response(p.Token, p.ExpiresAt, slot.StartsAt, slot.EndsAt, slot.Spans.Select(t => t.ToString("HH:mm")).ToList())),
            SlotHolds.Taken t => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Slot taken",
                detail: $"The slot {t.Slot:HH:mm} on {day.Date:yyyy-MM-dd} is held by someone else.",
                extensions: new Dictionary<string, object?> { ["slot"] = t.Slot.ToString("HH:mm") }),
            _ => throw new InvalidOperationException(result.ToString()),
        };
    }

    static ValidationProblem Invalid(string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["startTime"] = [error] });
}
