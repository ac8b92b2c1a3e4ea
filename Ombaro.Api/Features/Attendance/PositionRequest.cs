namespace Ombaro.Api.Features.Attendance;

/// <summary><c>{latitude, longitude}</c> of a check-in or check-out.</summary>
public sealed record PositionRequest(double? Latitude = null, double? Longitude = null)
{
    public sealed class Validator : AbstractValidator<PositionRequest>
    {
        public Validator()
        {
            RuleFor(r => r.Latitude).NotNull().InclusiveBetween(-90, 90);
            RuleFor(r => r.Longitude).NotNull().InclusiveBetween(-180, 180);
        }
    }
}
