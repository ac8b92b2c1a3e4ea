namespace Ombaro.Api.Infrastructure.OpenApi;

public static class OpenApiExtensions
{
    /// <summary>The <c>/openapi/v1.json</c> document: unique schema names, security, error answers, server from <c>OpenApi:ServerUrl</c>.</summary>
    public static IServiceCollection AddApiDocument(this IServiceCollection services)
    {
        services.AddOptions<ApiDocumentOptions>().BindConfiguration(ApiDocumentOptions.Section)
            .Validate(o => Uri.TryCreate(o.ServerUrl, UriKind.RelativeOrAbsolute, out _), "OpenApi:ServerUrl is not a URL").ValidateOnStart();
        services.AddOpenApi(o =>
        {
            o.CreateSchemaReferenceId = SchemaNames.Create;
            o.AddSchemaTransformer<NumberSchemaTransformer>();
            o.AddOperationTransformer<OperationTransformer>();
            o.AddDocumentTransformer<ApiDocumentTransformer>();
        });
        return services;
    }
}
