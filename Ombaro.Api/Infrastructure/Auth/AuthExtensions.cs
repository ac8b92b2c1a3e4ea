namespace Ombaro.Api.Infrastructure.Auth;

public static class AuthExtensions
{
    /// <summary>Bearer sessions from Redis; one authorization policy per role (named as the role).</summary>
    public static IServiceCollection AddSessionAuth(this IServiceCollection services)
    {
        services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SessionStore>();
        services.AddAuthentication(BearerSessionHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerSessionHandler>(BearerSessionHandler.SchemeName, null);
        var auth = services.AddAuthorizationBuilder();
        foreach (var role in Roles.All) auth.AddPolicy(role, p => p.RequireAuthenticatedUser().RequireRole(role));
        return services;
    }
}
