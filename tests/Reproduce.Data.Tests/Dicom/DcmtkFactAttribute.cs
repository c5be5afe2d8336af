namespace Reproduce.Data.Tests.Dicom;

/// <summary>
/// A fact that needs dcmtk. xUnit v2 cannot skip at run time, so the attribute sets <see cref="FactAttribute.Skip"/>
/// when it is constructed (at discovery) if the tools are not on PATH: the test is reported as skipped, with the reason.
/// </summary>
public sealed class DcmtkFactAttribute : FactAttribute
{
    public DcmtkFactAttribute()
    {
        if (!Dcmtk.IsAvailable())
        {
            Skip = $"dcmtk is not installed ({string.Join(", ", Dcmtk.Tools)} not on PATH); install the Debian package dcmtk to run this test";
        }
    }
}
