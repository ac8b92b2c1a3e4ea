namespace Ombaro.Tests.Support;

static class ContentTypeAssertions
{
    public static void ShouldBeProblem(this string? contentType) => Assert.StartsWith("application/problem+json", contentType);
}
