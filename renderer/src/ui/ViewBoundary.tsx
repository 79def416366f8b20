import { Component, Suspense, type ReactNode } from 'react';

interface Props {
  /** The view, as the navigation names it. */
  name: string;
  children: ReactNode;
}

/**
 * Around a view that loads on demand (views.ts): nothing while it loads (a local read, a few milliseconds), and if
 * its code could not be fetched, one line saying so with a way out, instead of a blank window. The browser
 * remembers a failed fetch of a module for the page's life, so the way out is a reload.
 */
export class ViewBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static override getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return <Suspense fallback={null}>{this.props.children}</Suspense>;
    return (
      <p role="alert" className="error">
        {this.props.name} could not load.{' '}
        <button
          type="button"
          onClick={() => {
            window.location.reload();
          }}
        >
          Reload
        </button>
      </p>
    );
  }
}
