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
            // PostgreSQL's default max_connections is 100 (97 for non-superusers) and several API
            // instances share it; Npgsql's default pool of 100 per instance would exhaust it. A URL
            // or connection string that names its own size wins.
            if (!sp.GetRequiredService<ConnectionSettings>().Postgres.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase))
                builder.ConnectionStringBuilder.MaxPoolSize = 30;
            return builder.Build();
        });
        services.AddSingleton<Migrator>();
        services.AddSingleton<Time.TimeZoneIds>();
        services.AddHostedService<DatabaseStartup>();
        return services;
    }
}
