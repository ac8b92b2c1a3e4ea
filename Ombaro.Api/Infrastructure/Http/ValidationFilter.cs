namespace Ombaro.Api.Infrastructure.Http;

/// <summary>
/// The one validation filter: the endpoint's <typeparamref name="T"/> argument is checked by its
/// FluentValidation validator, and failures become a 400 validation problem with errors per field.
/// Carter's scan registers validators as the non-generic <see cref="IValidator"/>, so they are found
/// through its <see cref="IValidatorLocator"/>.
/// </summary>
public sealed class ValidationFilter<T>(IValidatorLocator validators) : IEndpointFilter
{
    readonly IValidator validator = validators.GetValidator<T>()
        ?? throw new InvalidOperationException($"No validator for {typeof(T).Name}: add a public AbstractValidator<{typeof(T).Name}>.");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var argument = context.Arguments.OfType<T>().FirstOrDefault();
        if (argument is null)
            return TypedResults.Problem(title: "Bad request", detail: "A request body is required.", statusCode: 400);
        var result = await validator.ValidateAsync(new ValidationContext<T>(argument), context.HttpContext.RequestAborted);
        return result.IsValid ? await next(context) : TypedResults.ValidationProblem(result.ToDictionary());
    }
}
