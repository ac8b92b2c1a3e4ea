namespace Ombaro.Api.Features.Bookings;

/// <summary>HTTP shape of a <see cref="TransitionResult"/>, the same for every lifecycle route.</summary>
public static class TransitionHttp
{
    public static async Task<Results<Ok<BookingDto>, NotFound, ValidationProblem, ConflictProblem>> Run(BookingWorkflow workflow, Guid id, ClaimsPrincipal user, HttpContext http, Transition step, CancellationToken ct) =>
        await workflow.ApplyAsync(id, Actor.From(user, http), step, ct) switch
        {
            TransitionResult.Done d => TypedResults.Ok(d.Booking),
            TransitionResult.NotFound => TypedResults.NotFound(),
            TransitionResult.Invalid i => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [i.Field] = [i.Error] }),
            TransitionResult.Refused r => Problems.Conflict(r.Title, r.Detail,
                r.Limit is { } l
                    ? new Dictionary<string, object?> { ["currentStatus"] = r.CurrentStatus, ["limit"] = l.Setting, ["max"] = l.Value }
                    : new Dictionary<string, object?> { ["currentStatus"] = r.CurrentStatus }),
            var other => throw new InvalidOperationException(other.ToString()),
        };
}
