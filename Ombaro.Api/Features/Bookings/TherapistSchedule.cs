namespace Ombaro.Api.Features.Bookings;

/// <summary>The live bookings of a vendor's active therapists around a period: who is free when (PostgreSQL's view; holds are Redis').</summary>
public sealed class TherapistSchedule(IReadOnlyList<(Guid Therapist, List<(DateTimeOffset From, DateTimeOffset To)> Busy)> therapists)
{
    /// <summary>The roster, in order.</summary>
    public IReadOnlyList<Guid> Therapists => therapists.Select(t => t.Therapist).ToList();

    /// <summary>The therapists (in roster order) with no live booking overlapping [from, to): the candidates of a hold.</summary>
    public IReadOnlyList<Guid> FreeTherapists(DateTimeOffset from, DateTimeOffset to) =>
        therapists.Where(t => !t.Busy.Any(b => b.From < to && from < b.To)).Select(t => t.Therapist).ToList();
}
