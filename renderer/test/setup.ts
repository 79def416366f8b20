import { configure } from '@testing-library/preact';

// These tests talk to a real `serve` over HTTP: on a busy two-core machine an answer can take more than
// Testing Library's default second, which would fail a test that is right.
configure({ asyncUtilTimeout: 5_000 });
