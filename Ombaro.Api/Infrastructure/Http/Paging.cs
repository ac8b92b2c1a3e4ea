namespace Ombaro.Api.Infrastructure.Http;

/// <summary>
/// The one definition of paging for every list: <c>page</c> 1..<see cref="MaxPage"/>, <c>pageSize</c>
/// 1..<see cref="MaxPageSize"/>, so an offset is at most about a million rows and never overflows.
/// </summary>
public static class Paging
{
    public const int MaxPage = 10_000;
    public const int MaxPageSize = 100;

    public static IRuleBuilderOptions<T, int?> Page<T>(this IRuleBuilder<T, int?> page) => page.InclusiveBetween(1, MaxPage);

    public static IRuleBuilderOptions<T, int?> PageSize<T>(this IRuleBuilder<T, int?> size) => size.InclusiveBetween(1, MaxPageSize);

    /// <summary>Rows before the page; checked, so a page outside the rules can never become a negative OFFSET.</summary>
    public static int Offset(int page, int size) => checked((page - 1) * size);
}
