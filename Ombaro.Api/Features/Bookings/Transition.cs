namespace Ombaro.Api.Features.Bookings;

/// <summary>One lifecycle step: the statuses it may start from, where it leads, and what else it sets.</summary>
public sealed record Transition(string Action, string To, IReadOnlyList<string> From)
{
    /// <summary>A further rule on the booking, the actor and the time; returns why the step is refused, or null.</summary>
    public Func<BookingDto, Actor, DateTimeOffset, string?> Guard { get; init; } = (_, _, _) => null;
    /// <summary>The title of a guard's refusal, and the setting behind it (named in the problem document), if any.</summary>
    public string RefusalTitle { get; init; } = "Transition refused";
    public (string Setting, object Value)? Limit { get; init; }
    public Guid? TherapistId { get; init; }
    public string? CancelReason { get; init; }
}
