namespace Ombaro.Api.Infrastructure.OpenApi;

/// <summary>
/// Numbers are written as JSON numbers. The web defaults also read numbers from strings, which the generator
/// documents as <c>["number","string"]</c> with a pattern; clients should send and expect numbers only.
/// </summary>
public sealed class NumberSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (schema.Type is { } type && (type.HasFlag(JsonSchemaType.Number) || type.HasFlag(JsonSchemaType.Integer)) && type.HasFlag(JsonSchemaType.String))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        return Task.CompletedTask;
    }
}
