import React from 'react';
import { Button } from '@grafana/ui';

/** Saves `build()` as a CSV file; the content is built on click so it matches what the table shows. */
export function CsvDownloadButton({ fileName, build, testId }: { fileName: string; build: () => string; testId?: string }) {
  const onClick = () => {
    const blob = new Blob([build()], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = fileName;
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    // Revoke later: some browsers read the blob after click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  };
  return (
    <Button variant="secondary" icon="download-alt" onClick={onClick} data-testid={testId}>
      Download CSV
    </Button>
  );
}
