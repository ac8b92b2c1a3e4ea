namespace Ombaro.Api.Features.Bookings;

public abstract record TransitionResult
{
    public sealed record Done(BookingDto Booking) : TransitionResult;
    public sealed record NotFound : TransitionResult;
    /// <summary>409: the step is not allowed now (illegal from the current status, too early or late, therapist taken).</summary>
    public sealed record Refused(string Title, string Detail, string CurrentStatus, (string Setting, object Value)? Limit = null) : TransitionResult;
    /// <summary>400: an input of the step is wrong.</summary>
    public sealed record Invalid(string Field, string Error) : TransitionResult;
}
