using Npgsql;
using Ombaro.Api.Infrastructure.Configuration;

namespace Ombaro.Api.Infrastructure.Postgres;

public static class PostgresExtensions
{
    /// <summary>One <see cref="NpgsqlDataSource"/> for the app; migrations (and demo data in Development) at start-up.</summary>
    public static IServiceCollection AddPostgres(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(sp.GetRequiredService<ConnectionSettings>().Postgres);
            builder.UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            builder.ConnectionStringBuilder.ApplicationName ??= "ombaro-api";
            builder.ConnectionStringBuilder.Timeout = 5;
            return builder.Build();
        });
        services.AddSingleton<Migrator>();
        services.AddHostedService<DatabaseStartup>();
        return services;
    }
}
