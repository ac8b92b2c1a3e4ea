namespace Ombaro.Api.Features.Vendors;

/// <summary>The catalog's services: the geo index, search, the vendor caches and invitation settings.</summary>
public static class VendorsExtensions
{
    public static IServiceCollection AddVendors(this IServiceCollection services)
    {
        services.AddSingleton<VendorGeoIndex>();
        services.AddSingleton<SearchCandidates>();
        services.AddSingleton<VendorCaches>();
        services.AddOptions<InvitationOptions>().BindConfiguration(InvitationOptions.Section)
            .Validate(o => o.Lifetime > TimeSpan.Zero, "Invitations:Lifetime must be positive").ValidateOnStart();
        services.AddHostedService<VendorGeoIndex.Startup>();
        return services;
    }
}
