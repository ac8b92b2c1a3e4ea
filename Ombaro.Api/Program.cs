using Ombaro.Api.Features.Bookings;
using Ombaro.Api.Features.Desks;
using Ombaro.Api.Features.Vendors;
using Ombaro.Api.Infrastructure;
using Ombaro.Api.Infrastructure.Telemetry;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddLogging();
    builder.AddTelemetry();
    builder.Services.AddConnectionSettings();
    builder.Services.AddPlatform();
    builder.Services.AddErrorHandling();
    builder.Services.AddInputRules();
    builder.Services.AddBrowserCors();
    builder.Services.AddRedis();
    builder.Services.AddCaching();
    builder.Services.AddPostgres();
    builder.Services.AddSessionAuth();
    builder.Services.AddVendors();
    builder.Services.AddBookings();
    builder.Services.AddOtp();
    builder.Services.AddRedisRateLimiting();
    builder.Services.AddDesks();

    var app = builder.Build();
    app.CheckConnectionSettings();
    app.UseBrowserCors();
    app.CheckDemoData();
    app.UseErrorHandling();
    app.UseInputLimits();
    app.UseTelemetry();
    app.UseRedisRateLimiting(around: static a => a.UseAuthentication());   // the address's limits go to Redis with the session
    app.UseAuthorization();
    app.MapPlatform();
    app.Run();
    return 0;
}
catch (StartupConfigurationException e)
{
    Console.Error.WriteLine($"ombaro: {e.Message}");
    return 2;
}
catch (Npgsql.NpgsqlException e)
{
    Console.Error.WriteLine($"ombaro: PostgreSQL did not answer at start-up (DATABASE_URL): {e.Message}");
    return 3;
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    Console.Error.WriteLine($"ombaro: {e.Message}");
    return 2;
}

public partial class Program;
