namespace Ombaro.Api.Features.Bookings;

/// <summary>Paging and filters every booking list takes: <c>?page&amp;pageSize&amp;status&amp;from&amp;to</c> (on the start time).</summary>
public sealed record ListFilter(int? Page, int? PageSize, string? Status, DateTimeOffset? From, DateTimeOffset? To)
{
    public int PageNumber => Page ?? 1;
    public int Size => PageSize ?? 20;

    public sealed class Validator : AbstractValidator<ListFilter>
    {
        public Validator()
        {
            RuleFor(f => f.Page).Page();
            RuleFor(f => f.PageSize).PageSize();
            RuleFor(f => f.Status).Must(s => s is null || BookingStatus.All.Contains(s))
                .WithMessage($"Must be one of: {string.Join(", ", BookingStatus.All)}.");
            RuleFor(f => f.To).GreaterThan(f => f.From).When(f => f.From is not null && f.To is not null);
        }
    }
}
