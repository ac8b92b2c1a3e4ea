namespace Ombaro.Api.Infrastructure.Http;

public static class ErrorHandlingExtensions
{
    /// <summary>RFC 9457 problem documents for every error, with the trace id; one exception handler.</summary>
    public static IServiceCollection AddErrorHandling(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
            ctx.ProblemDetails.Extensions.TryAdd("traceId", ctx.HttpContext.TraceIdentifier));
        services.AddExceptionHandler<GlobalExceptionHandler>();
        return services;
    }

    public static WebApplication UseErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();   // empty 4xx/5xx bodies (404, 405, 415 ...) become problem documents
        return app;
    }
}
