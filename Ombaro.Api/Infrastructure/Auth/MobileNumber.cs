using PhoneNumbers;

namespace Ombaro.Api.Infrastructure.Auth;

/// <summary>
/// Mobile numbers in E.164 (<c>+919876543210</c>); national numbers are read as Indian. Only numbers that can
/// receive an SMS are numbers here: libphonenumber's MOBILE type (or FIXED_LINE_OR_MOBILE, where a region's
/// plan does not tell them apart), never a landline, premium-rate, toll-free or shared-cost number; text
/// with control characters is refused before parsing (the parser would skip them).
/// </summary>
public static class MobileNumber
{
    public const string DefaultRegion = "IN";
    public const string Invalid = "Not a valid mobile number; use +91XXXXXXXXXX or a 10-digit Indian mobile.";
    static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The E.164 form of a valid mobile number (<c>09876543210</c>, <c>+91 98765 43210</c>...), or null.</summary>
    public static string? Normalize(string? input) => Parse(input) is { } number ? Util.Format(number, PhoneNumberFormat.E164) : null;

    public static bool IsValid(string? input) => Parse(input) is not null;

    /// <summary>A valid mobile number of one of <paramref name="regions"/> (ISO 3166 codes, e.g. <c>IN</c>).</summary>
    public static bool IsAllowed(string? input, IReadOnlyCollection<string> regions) =>
        Parse(input) is { } number && Util.GetRegionCodeForNumber(number) is { } region && regions.Contains(region, StringComparer.OrdinalIgnoreCase);

    public static bool IsRegion(string code) => Util.GetSupportedRegions().Contains(code.ToUpperInvariant());

    static PhoneNumber? Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32 || input.Any(char.IsControl)) return null;
        try
        {
            var number = Util.Parse(input, DefaultRegion);
            return Util.IsValidNumber(number) && Util.GetNumberType(number) is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE
                ? number
                : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
