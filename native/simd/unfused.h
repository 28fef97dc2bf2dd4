// Include first in a kernel file whose products and sums must each be rounded on their own:
// GCC otherwise fuses a·b + c into one FMA wherever the target has one, and such a kernel must
// give the bits of the scalar code it stands for. (Clang fuses only within one source
// expression, which the traits' separate calls never are.)
#if !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif
