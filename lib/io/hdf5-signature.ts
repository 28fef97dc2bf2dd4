/** The 8 bytes an HDF5 file's superblock starts with (format specification, "Format Signature"). */
export const HDF5_SIGNATURE: readonly number[] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]
