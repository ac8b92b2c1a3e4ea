namespace Ombaro.Api.Features.Therapists;

public static class TherapistsExtensions
{
    /// <summary>Therapist earnings: the therapist's share and the zone of a therapist without a vendor.</summary>
    public static IServiceCollection AddTherapists(this IServiceCollection services)
    {
        services.AddOptions<EarningsOptions>().BindConfiguration(EarningsOptions.Section)
            .Validate(o => o.IsValid(), "Earnings: shares must be between 0 and 1, keyed by vendor id, and DefaultTimeZone a known zone").ValidateOnStart();
        return services;
    }
}
