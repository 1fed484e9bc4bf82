// The DOM matchers test/renderer-setup.ts installs (toBeInTheDocument, toHaveValue, …), for the type checker.
import '@testing-library/jest-dom/vitest'
