namespace Reproduce.Data.Dicom;

/// <summary>
/// An axial slice's place in patient space: the centre of its first pixel (ImagePositionPatient, mm), square
/// pixels, the nominal thickness and the frame of reference shared by the series. The orientation is always
/// axial (along a row x increases, down a column y increases), and SliceLocation equals <see cref="Z"/>.
/// </summary>
public sealed record SliceGeometry(double X, double Y, double Z, double PixelSpacing, double SliceThickness, string FrameOfReferenceUid);
