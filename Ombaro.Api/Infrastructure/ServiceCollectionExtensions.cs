using Microsoft.AspNetCore.HttpOverrides;
using Ombaro.Api.Infrastructure.Json;
using Ombaro.Api.Infrastructure.OpenApi;
using Scalar.AspNetCore;

namespace Ombaro.Api.Infrastructure;

public static class ServiceCollectionExtensions
{
    /// <summary>Connection settings, read from the final configuration (tests may override it).</summary>
    public static IServiceCollection AddConnectionSettings(this IServiceCollection services) =>
        services.AddSingleton(sp => ConnectionSettings.From(sp.GetRequiredService<IConfiguration>()));

    /// <summary>Reads and checks the settings, then connects to Redis; a bad setting or credential stops start-up.</summary>
    public static WebApplication CheckConnectionSettings(this WebApplication app)
    {
        app.Services.GetRequiredService<ConnectionSettings>();
        app.Services.GetRequiredService<Redis.RedisConnections>();   // a refused password or certificate stops here
        return app;
    }

    public static IServiceCollection AddPlatform(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default));
        services.AddApiDocument();
        services.AddCarter();
        // Validation errors are keyed like the JSON the client sent ("startTime", not "StartTime").
        FluentValidation.ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        return services;
    }

    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        if (builder.Environment.IsDevelopment()) builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        else builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        return builder;
    }

    public static WebApplication MapPlatform(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment()) app.MapScalarApiReference();
        app.MapGroup("").AddEndpointFilterFactory(InputRules.Filter).MapCarter();   // one set of input rules for every route
        return app;
    }
}
