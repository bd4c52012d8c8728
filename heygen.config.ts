import { defineConfig } from 'heygen-build';

// This repository is itself a heygen-build project over examples/.
// (the package depends on itself, file:, so this import works here as in any project)
export default defineConfig({
  manifests: ['examples/**/*.{yaml,yml}'],
  outDir: 'out',
  lockfile: 'heygen.lock.yaml',
  provider: 'auto',
  heygen: { api: 'v3', concurrency: 10 },
  defaults: { dimension: '720p', background: '#0F172A' },
  avatars: {
    presenter: { id: 'Daisy-inskirt-20220818', style: 'normal', voice: 'narrator' },
    host: { id: 'Tyler-incasualsuit-20220721' },
  },
  voices: {
    narrator: { id: '2d5b0e6cf36f460aa7fc47e3eee4ba54', speed: 1 },
    upbeat: { id: '1bd001e7e50f421d891986aad5158bc8', speed: 1.1 },
  },
  textStyles: {
    title: { font: 'sans-bold', size: 56, color: '#FFFFFF' },
    lowerThird: { font: 'sans-bold', size: 32, color: '#FFFFFF', background: '#1D4ED8E6', padding: 14 },
    cta: { font: 'sans-bold', size: 36, color: '#0F172A', background: '#FACC15', align: 'center', padding: 16 },
  },
  budget: { maxCredits: 100 },
});
