namespace Ombaro.Api.Features.Desks;

/// <summary>The date ranges and pages the desks' report queries share.</summary>
public static class Ranges
{
    /// <summary>
    /// <paramref name="from"/>..<paramref name="to"/> with defaults (to: today; from: <paramref name="defaultDays"/>
    /// days up to to), or a validation problem when reversed or longer than <paramref name="maxDays"/>.
    /// </summary>
    public static (DateOnly From, DateOnly To, ValidationProblem? Problem) Dates(DateOnly? from, DateOnly? to, DateOnly today,
        int defaultDays, int maxDays)
    {
        var end = to ?? today;
        var start = from ?? end.AddDays(1 - defaultDays);
        return start <= end && end.DayNumber - start.DayNumber < maxDays
            ? (start, end, null)
            : (start, end, TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["to"] = [$"to must not be before from, and the range may span at most {maxDays} days."],
            }));
    }
}
