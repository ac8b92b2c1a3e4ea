namespace Ombaro.Api.Infrastructure.Auth;

public static class AuthExtensions
{
    /// <summary>Bearer sessions from Redis; one authorization policy per role (named as the role); accounts and their snapshots.</summary>
    public static IServiceCollection AddSessionAuth(this IServiceCollection services)
    {
        services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SessionStore>();
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section)
            .Validate(o => o.AdminMobiles.Where(m => !string.IsNullOrWhiteSpace(m)).All(MobileNumber.IsValid), "Auth:AdminMobiles holds a mobile number that is not valid").ValidateOnStart();
        services.AddSingleton<UserAccounts>();
        services.AddSingleton<UserSnapshots>();
        services.AddAuthentication(BearerSessionHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerSessionHandler>(BearerSessionHandler.SchemeName, null);
        var auth = services.AddAuthorizationBuilder();
        foreach (var role in Roles.All) auth.AddPolicy(role, p => p.RequireAuthenticatedUser().RequireRole(role));
        return services;
    }
}
