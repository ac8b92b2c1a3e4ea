using Ombaro.Api.Infrastructure;
using Ombaro.Api.Infrastructure.Configuration;
using Ombaro.Api.Infrastructure.Http;
using Ombaro.Api.Infrastructure.Postgres;
using Ombaro.Api.Infrastructure.Redis;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddLogging();
    builder.Services.AddConnectionSettings();
    builder.Services.AddPlatform();
    builder.Services.AddErrorHandling();
    builder.Services.AddRedis();
    builder.Services.AddPostgres();

    var app = builder.Build();
    app.CheckConnectionSettings();
    app.UseErrorHandling();
    app.MapPlatform();
    app.Run();
    return 0;
}
catch (StartupConfigurationException e)
{
    Console.Error.WriteLine($"ombaro: {e.Message}");
    return 2;
}

public partial class Program;
